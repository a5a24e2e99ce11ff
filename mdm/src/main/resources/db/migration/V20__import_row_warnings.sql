-- A row is no longer rejected for one value that cannot be read (an invalid phone, an impossible
-- birthday, a formula cell): it is kept, the value is left out of matching and the golden record,
-- and the row's report names the field and why, in Chinese and English, joined with "; ". Null when
-- there is nothing to say. Staging writes the cell-level warnings (formula, cut cell); settling
-- adds the standardizer's. The hub's role may write it through V9's table-level grants.
alter table import_row add column warnings text;

-- An import's counts add the rows kept with warnings. Counted from this index, per outcome, so
-- that a million-row import's progress reads only the rows that have warnings (index-only where
-- the pages are all-visible) instead of going back to the heap for every row, as counting the
-- column beside import_row_outcome_idx would.
create index import_row_warned_idx on import_row (import_id, outcome) where warnings is not null;
