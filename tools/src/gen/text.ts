import type { Random } from './random.ts';

/** Word lists and small text builders shared by the generators, modelled on the real exports. */

export const SUBJECT_ID = 'aqaGCSEBio';

/** Command words of the practice files' templated question texts (real, including "Give one reason why how …"). */
export const PRACTICE_COMMANDS = [
  'Calculate',
  'State',
  'Give one reason why',
  'Evaluate',
  'Explain',
  'Describe',
  'Name',
  'Compare',
  'Suggest why',
] as const;

export const PRACTICE_MARKSCHEME = 'any one from:\nidea of surface area\nallow converse';
export const PRACTICE_VALIDATION = 'Syllabus-appropriate; mark scheme matches command words.';
export const ENZYME_OPTIONS = ['Amylase', 'Lipase', 'Protease', 'Carbohydrase'] as const;

export const EXAM_OPTIONS = [
  ['Amylase', 'Carbohydrase', 'Lipase', 'Protease'],
  ['Cellulose', 'Glucose', 'Starch', 'Sucrose'],
  ['Aorta', 'Pulmonary artery', 'Pulmonary vein', 'Vena cava'],
  ['Mitochondria', 'Nucleus', 'Ribosome', 'Vacuole'],
] as const;

export const EXAM_STEMS = [
  'A student investigated the effect of temperature on {topic}.',
  'Scientists studied {topic} in a population of organisms over ten years.',
  'A pharmaceutical company is developing a new treatment linked to {topic}.',
  'A teacher demonstrated an experiment about {topic} to a class.',
  'This question is about {topic}.',
  'A farmer wants to increase crop yield. The farmer reads about {topic}.',
] as const;

export const EXAM_QUESTIONS = [
  'What is the main reason for the results shown in **Table 1**?',
  'Calculate the percentage change shown in **Table 1**.\n\nGive your answer to two significant figures. Show your working.',
  'Define what is meant by {lesson}.',
  'Suggest one reason why it is important to use a control in this investigation.',
  'Describe how {lesson} could be investigated in the laboratory.',
  'Explain how {lesson} affects the organism.',
  'Evaluate the use of {lesson} as a treatment. \n\nGive reasons for your answer.',
  'Which of the following is correct?',
] as const;

export const EXAM_MARKSCHEMES = [
  'drug was not effective (at treating the virus)\nallow it did not work',
  '$(1 \\div 8000) \\times 100$ (1)\n0.013 (%) (1)\nallow 0.0125 (%) for 1 mark',
  'a substance / pill with no active drug / medicine in it\nallow a fake / dummy pill',
  'to act as a control / for comparison\nOR\nto check for the placebo effect\nignore to make it a fair test',
  'any two from:\n• cells are undifferentiated / unspecialised (1)\n• can divide by mitosis (1)\n• can differentiate into other cell types (1)',
  'Level 2: a detailed and coherent explanation (3–4)\nLevel 1: simple statements made (1–2)\nNo relevant content (0)',
] as const;

export const EXAM_VALIDATION_REASONS = [
  'The question is syllabus-appropriate, with good ramping of cognitive demand for higher-tier.',
  'Appropriately assesses syllabus content with suitable cognitive demand and clarity for higher tier.',
  'Appropriate topic, cognitive demand, and mark allocation for Higher Tier GCSE Biology.',
  'Mark scheme revised to credit equivalent answers; otherwise appropriate.',
] as const;

/** What students type into the canvas text boxes. */
export const STUDENT_ANSWERS = [
  'to test validity',
  'bacteria which can cause a virus',
  'Mouthwash A killed more bacteria as clear zone is larger than B',
  'could make enzymes denature',
  'to kill all bacteria',
  'glucose turns into lactic acid',
  'A placebo is where a fake drug is given to check accuracy\nof results and not to allow and fake results.',
  'Both Patient and doctor dont know if the drug is a placebo\nor if it is a real drug.',
  '8000-7980=20\n20/8000 x100=0.25%\n',
  'the heart rate increases so more oxygen gets to the muscles',
  'osmosis - water moves from a dilute to a concentrated solution',
  'mitochondria release energy by respiration',
  "it's the one with the biggest surface area",
] as const;

export const EMOJI = ['🧬', '🦠', '🧪', '🌱', '🔬', '😅', '👍', '🫀'] as const;

/** Inserts a NUL character somewhere inside `text`. */
export function withNul(text: string, random: Random): string {
  const at = random.int(1, Math.max(1, text.length - 1));
  return `${text.slice(0, at)}\u0000${text.slice(at)}`;
}

export function withEmoji(text: string, random: Random): string {
  return `${text} ${random.pick(EMOJI)}`;
}

/** The real practice file's small results table, with other numbers. */
export function resultsTable(random: Random): string {
  const low = (random.int(5, 25) / 10).toFixed(1);
  const high = (random.int(26, 60) / 10).toFixed(1);
  return `\n\n**Table 1**\n\n| Condition | Rate (mm/min) |\n|---|---|\n| 20 °C | ${low} |\n| 30 °C | ${high} |\n`;
}

/** A diagram rendered by the content pipeline (the schema's question_diagram / question_stem_diagram object). */
export function renderedDiagram(random: Random): unknown {
  const attemptCount = random.weighted([
    [1, 3],
    [2, 5],
    [3, 1],
  ] as const);
  const attempts = Array.from({ length: attemptCount }, (_, index) => {
    const last = index === attemptCount - 1;
    return {
      attempt_number: index + 1,
      latex_code: random.chance(0.6) ? '\\begin{tikzpicture}\\draw (0,0) circle (1);\\end{tikzpicture}' : null,
      success: last || random.chance(0.3),
      svg: null,
      png_path: `diagrams/${random.alnum(8)}.png`,
      error_message: null,
      retry_count: index,
      llm_rank: random.int(1, 5),
      llm_feedback: 'Labels legible; scale consistent.',
      requires_intervention: false,
    };
  });
  return {
    required: true,
    items: [
      {
        description: 'Diagram of the apparatus used in the investigation',
        method: 'tikz',
        attempts,
        final: { png_path: attempts.at(-1)?.png_path },
      },
    ],
  };
}

/** A diagram uploaded by hand to Firebase storage, as in the real exam file. */
export function uploadedDiagram(random: Random, takenAt: Date): unknown {
  const twoDigits = (value: number): string => String(value).padStart(2, '0');
  const clock = `${takenAt.getUTCHours() % 12 || 12}.${twoDigits(takenAt.getUTCMinutes())}.${twoDigits(takenAt.getUTCSeconds())}`;
  const half = takenAt.getUTCHours() < 12 ? 'am' : 'pm';
  const day = takenAt.toISOString().slice(0, 10);
  const file = `Screenshot ${day} at ${clock}\u202f${half}.png`;
  const stamp = takenAt.getTime();
  const hex = (length: number): string => Array.from({ length }, () => random.int(0, 15).toString(16)).join('');
  const token = [8, 4, 4, 4, 12].map(hex).join('-');
  const encoded = encodeURIComponent(file).replaceAll('%E2%80%AF', '%C3%A2%C2%80%C2%AF');
  const object = `diagram_replacements%2Fquestion_stem_diagram_${stamp}_${stamp + random.int(100, 600)}_${encoded}`;
  const png = `![](https://firebasestorage.googleapis.com/v0/b/content-aaa73.firebasestorage.app/o/${object}?alt=media&token=${token})`;
  return {
    required: true,
    items: [
      {
        description: `Uploaded PNG diagram: ${file}`,
        method: 'manual_upload',
        attempts: [
          {
            attempt_number: 1,
            latex_code: null,
            success: true,
            svg: null,
            png_path: png,
            error_message: null,
            retry_count: 0,
            missing_content: [],
            llm_rank: 1,
            llm_feedback: null,
            requires_intervention: null,
          },
        ],
        final: { png_path: png },
      },
    ],
  };
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
