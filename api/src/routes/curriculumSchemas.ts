/** Response parts shared by the curriculum routes. */
import { z } from '../zod.ts';

export const containerItemSchema = z
  .object({
    questionID: z.string().openapi({ description: 'The item\'s stable external key.', example: 'aqaGCSEBio_1_1_1_EBc0BgD11T' }),
    questionNumber: z.number().int().openapi({ example: 1 }),
    part: z.number().int().openapi({
      description: 'Order within the question: the part label\'s number, or the part\'s place in its question when the label is not a number ("1a").',
      example: 1,
    }),
    partLabel: z.string().nullable().openapi({ description: 'The part label as the export gives it, as text; null when it gave none.', example: '1' }),
    stemId: z.string().openapi({ description: 'The question (stem) this part belongs to.' }),
    questionType: z.string().openapi({ example: 'long_answer' }),
    text: z.string(),
    markMax: z.number().int().nullable().openapi({ example: 1 }),
    difficulty: z.number().int().nullable().openapi({ example: 2 }),
    specificationPoint: z.string().nullable().openapi({ example: '4.1.1.1' }),
    lessonIds: z.array(z.string()).openapi({ description: 'Lessons this appearance links the item to.' }),
  })
  .openapi('ContainerItem', { description: 'An item as it appears in one paper or practice bank.' });
