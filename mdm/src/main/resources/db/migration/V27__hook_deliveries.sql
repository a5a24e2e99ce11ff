-- The delivery ids of pushes already taken at /hooks/<connector-id> (a system's own id for each
-- delivery, when its kind names one), so that a system that sends the same push again (it did not
-- hear the first answer) changes nothing. The table and column names are those of Camel's
-- JdbcMessageIdRepository, which reads and writes it; processorName is 'hooks', messageId
-- '<connector-id>:<delivery id>'. Rows older than a week are deleted: senders retry for hours, not
-- weeks.
create table camel_messageprocessed (
    processorName varchar(255) not null,
    messageId     varchar(1000) not null,
    createdAt     timestamp     not null,
    primary key (processorName, messageId)
);
create index camel_messageprocessed_created_idx on camel_messageprocessed (createdAt);
