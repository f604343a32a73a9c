-- Customers come with their service records (issue 19): an optional e-mail address, customer
-- numbers Pingjia generates for customers a record names only by phone or member number, and
-- the sequence those numbers are drawn from. Same conventions as 0001.
--
-- Why a generated number rather than dropping the CHECK that customers have a customer
-- number: every customer keeps one stable number that lists, CSV files and the analytics show
-- and that staff can search for; a helpdesk that knows a customer only by phone today sends
-- its own customer number later, and that number then replaces the generated one (which is
-- why it is marked). Nobody signs in with a customer number, so replacing it moves no login.

-- Customers only; trimmed and lower-cased by the server (`users::normalize_email`). Unique:
-- it is where a customer's messages go.
ALTER TABLE users ADD COLUMN email TEXT CHECK (email IS NULL OR role = 'customer');

CREATE UNIQUE INDEX users_email ON users (email);

-- 1 when `customer_no` was generated (`PJ000001`); the helpdesk's own number replaces it.
ALTER TABLE users ADD COLUMN customer_no_generated INTEGER NOT NULL DEFAULT 0
    CHECK (customer_no_generated IN (0, 1) AND (customer_no_generated = 0 OR role = 'customer'));

-- The last generated customer number (one row). A number once handed out is not handed out
-- again, even after the helpdesk's number replaced it.
CREATE TABLE customer_number_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  INTEGER NOT NULL CHECK (last >= 0)
);

INSERT INTO customer_number_sequence (id, last) VALUES (1, 0);
