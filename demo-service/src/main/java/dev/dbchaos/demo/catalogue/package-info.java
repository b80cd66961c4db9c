/**
 * The sneakers, their sizes and stock, the admin release, and the last known catalogue
 * that shoppers browse when the database is away.
 */
package dev.dbchaos.demo.catalogue;
