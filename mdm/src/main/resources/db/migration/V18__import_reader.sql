-- Which hub reads an import's file: its host and data directory. At start-up a hub reads on only
-- the files it was reading itself; in a cluster, another hub's live import is not taken over (nor,
-- with the file on another disk, failed as lost).
alter table import_job add column reader text;
