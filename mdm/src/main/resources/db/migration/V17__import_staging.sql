-- Uploads are read and staged after the upload is answered, a batch of rows at a time, so that a
-- million-row file neither holds a request open nor sits in memory. An import now goes through
-- states: 'reading' (rows being staged from the kept file, none queued yet), 'queued' (every row
-- staged; the accepted ones are queued or settled), 'failed' (the file turned out unreadable
-- further in; its staged rows were removed and nothing of it was imported).
alter table import_job add column state text not null default 'queued'
    check (state in ('reading', 'queued', 'failed'));
-- rows staged so far, for progress while reading; equals row_count afterwards
alter table import_job add column rows_read integer not null default 0;
update import_job set rows_read = row_count;
-- the workbook sheet read, as the workbook names it; null for a CSV
alter table import_job add column sheet text;
-- the hub's own copy of the upload while it is being read: a hub stopped while reading resumes
-- from it after the last staged row at its next start
alter table import_job add column work_file text;
-- why a 'failed' import failed, for the person who uploaded it (code as in the API's problems)
alter table import_job add column error_code text;
alter table import_job add column error text;
-- header -> field the rows were mapped with (detected, confirmed after a preview, or a source's
-- saved mapping template); null for imports older than this
alter table import_job add column column_mapping jsonb;

-- Saved mapping templates: how one source's exports map their columns, so that staff confirm a
-- mapping once and every later upload of the same shape uses it.
create table import_mapping_template (
    source      text        primary key,
    mapping     jsonb       not null,
    updated_at  timestamptz not null,
    updated_by  text        not null
);
