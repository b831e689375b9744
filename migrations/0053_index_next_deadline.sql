-- Up Migration
-- The worklist orders an institution's or a bydel's stays by their next deadline (the open one due first) and counts
-- those with a deadline passed or due soon, over every stay the filters match, not only the page shown. This index
-- holds exactly the open deadlines, by stay and due date, so that each stay's next one is its first entry and its
-- passed ones a short range: one index probe per stay instead of reading all its milestones
-- (bench/ui-worklist.ts prints the plans at 5,000 stays).
CREATE INDEX stay_milestones_next_open_idx ON stay_milestones (stay_id, due_date, position) INCLUDE (key, escalates)
  WHERE done_at IS NULL AND applicable AND due_date IS NOT NULL;

-- Down Migration
DROP INDEX stay_milestones_next_open_idx;
