-- The schema of postgresql/V1__schema.sql for MariaDB (and MySQL): the same tables, columns,
-- keys and checks. Where the types differ:
-- * identity columns are AUTO_INCREMENT, which also accepts explicit ids (PostgreSQL's
--   customer_order.id is GENERATED ALWAYS; the shop never sets it);
-- * timestamptz is TIMESTAMP(6): an instant, stored in UTC and shown in the session's time
--   zone, to the microsecond as in PostgreSQL.

-- The catalogue: sneakers, released once, and their stock per size.
CREATE TABLE sneaker (
	id          bigint AUTO_INCREMENT PRIMARY KEY,
	name        varchar(200) NOT NULL,
	brand       varchar(100) NOT NULL,
	price_cents integer NOT NULL CHECK (price_cents >= 0),
	released_at timestamp(6) NULL DEFAULT NULL
) ENGINE = InnoDB;

CREATE TABLE stock (
	sneaker_id bigint NOT NULL,
	size       varchar(10) NOT NULL,
	-- The conditional UPDATE never takes more than is left; this check backs it up.
	quantity   integer NOT NULL CHECK (quantity >= 0),
	PRIMARY KEY (sneaker_id, size),
	-- Foreign keys are table constraints here: MySQL accepts a REFERENCES on a column and ignores it.
	FOREIGN KEY (sneaker_id) REFERENCES sneaker (id)
) ENGINE = InnoDB;

-- "order" is a reserved word.
CREATE TABLE customer_order (
	id              bigint AUTO_INCREMENT PRIMARY KEY,
	-- One order per client key: a retried request finds its order instead of placing another.
	idempotency_key varchar(100) NOT NULL UNIQUE,
	sneaker_id      bigint NOT NULL,
	size            varchar(10) NOT NULL,
	quantity        integer NOT NULL CHECK (quantity > 0),
	created_at      timestamp(6) NOT NULL DEFAULT current_timestamp(6),
	FOREIGN KEY (sneaker_id, size) REFERENCES stock (sneaker_id, size)
) ENGINE = InnoDB;

-- The outbox of confirmations: one row per committed order, written in the background.
CREATE TABLE order_confirmation (
	order_id     bigint PRIMARY KEY,
	message      text NOT NULL,
	confirmed_at timestamp(6) NOT NULL DEFAULT current_timestamp(6),
	FOREIGN KEY (order_id) REFERENCES customer_order (id)
) ENGINE = InnoDB;
