-- The database and roles of README "Database roles", made once when the PostgreSQL volume is new.
-- Run by 10-onemember-roles.sh, which passes the passwords as psql variables (:'owner_password',
-- :'hub_password') from the container's environment, so no password is written in this file.
--
-- onemember_owner owns the database and, through Flyway (SPRING_FLYWAY_USER), every table.
-- onemember_hub is the hub's login (SPRING_DATASOURCE_USERNAME): a member of onemember_app, which
-- the migrations grant what the hub may do (on the merge log: read and append only).

create role onemember_owner login password :'owner_password';
create database onemember owner onemember_owner;

create role onemember_app nologin;
create role onemember_hub login password :'hub_password' in role onemember_app;
