/**
 * Who may release sneakers and break the database: the ops user, over HTTP Basic.
 */
package dev.dbchaos.demo.security;
