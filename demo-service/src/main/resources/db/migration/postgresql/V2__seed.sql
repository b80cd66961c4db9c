-- The drop: sneaker 1 is the one everybody waits for, not released yet.
INSERT INTO sneaker (id, name, brand, price_cents, released_at) VALUES
	(1, 'Air Jordan 1 Retro High ''Chicago''', 'Nike', 18000, NULL),
	(2, 'Dunk Low ''Panda''', 'Nike', 11000, now()),
	(3, 'Samba OG', 'adidas', 10000, now()),
	(4, '550 ''White Green''', 'New Balance', 13000, now());

SELECT setval(pg_get_serial_sequence('sneaker', 'id'), (SELECT max(id) FROM sneaker));

INSERT INTO stock (sneaker_id, size, quantity) VALUES
	(1, '40', 5), (1, '41', 5), (1, '42', 5), (1, '43', 5), (1, '44', 5),
	(2, '40', 3), (2, '41', 4), (2, '42', 5), (2, '43', 4), (2, '44', 2),
	(3, '39', 2), (3, '40', 6), (3, '41', 6), (3, '42', 6),
	(4, '42', 0), (4, '43', 1), (4, '44', 0);
