-- Up Migration
--
-- A part's label as its export gives it (`question_part`: "2", "1a"), beside
-- `part`, its order within the question (the label's number, or the part's
-- ordinal when the label is not a number). Null for a part without a label,
-- and for rows projected before this column existed until their source is
-- imported again. At most 64 characters: the itemAppeared schema's bound.
ALTER TABLE item_appearances
  ADD COLUMN part_label text,
  ADD CONSTRAINT item_appearances__part_label CHECK (char_length(part_label) BETWEEN 1 AND 64);
