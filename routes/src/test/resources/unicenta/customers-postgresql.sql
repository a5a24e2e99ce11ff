-- uniCenta oPOS's customers table as its PostgreSQL create script declares it (uniCenta 4.5 and
-- 5.0, "PostgreSQL-create.sql"), without the foreign key to taxcustcategories, a table the
-- connector never reads.
CREATE TABLE CUSTOMERS (
	id varchar NOT NULL,
	searchkey varchar NOT NULL,
	taxid varchar default NULL,
	name varchar NOT NULL,
	taxcategory varchar default NULL,
	card varchar default NULL,
	maxdebt double precision default 0 NOT NULL,
	address varchar default NULL,
	address2 varchar default NULL,
	postal varchar default NULL,
	city varchar default NULL,
	region varchar default NULL,
	country varchar default NULL,
	firstname varchar default NULL,
	lastname varchar default NULL,
	email varchar default NULL,
	phone varchar default NULL,
	phone2 varchar default NULL,
	fax varchar default NULL,
	notes varchar default NULL,
	visible BOOLEAN NOT NULL DEFAULT TRUE,
	curdate timestamp default NULL,
	curdebt double precision default 0,
	image bytea,
	isvip BOOLEAN NOT NULL DEFAULT TRUE,
	discount double precision default 0 NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX CUSTOMERS_SKEY_INX ON customers(searchkey);
CREATE INDEX CUSTOMERS_TAXID_INX ON customers(taxid);
CREATE INDEX CUSTOMERS_NAME_INX ON customers(name);
CREATE INDEX CUSTOMERS_CARD_INX ON customers(card);
