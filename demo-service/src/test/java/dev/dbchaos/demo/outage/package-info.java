/**
 * The shop through real database outages: a stopped server and a frozen one, on
 * PostgreSQL and on MariaDB, each test class with a server of its own.
 */
package dev.dbchaos.demo.outage;
