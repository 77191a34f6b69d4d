import { z } from 'zod';

/** The row type of a statement that returns none (DELETE, UPDATE without RETURNING). */
export const noRows = z.object({});
