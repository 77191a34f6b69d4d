/** What an attempt needs to know about the question part it answers. */
export interface PartRef {
  questionID: string;
  questionType: string;
  markmax: number;
  options?: readonly string[];
}

/** A mock paper's parts, for attempts on `mocks/<paperId>/questions/<questionID>`. */
export interface PaperTarget {
  paperId: string;
  parts: PartRef[];
}

/** A practice bank's parts, for attempts on `lessons/<lessonID>/practice/<questionID>`. */
export interface PracticeTarget {
  lessonID: string;
  parts: PartRef[];
}
