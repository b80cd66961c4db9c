/**
 * A sneaker-drop shop that keeps serving shoppers when its database goes away: the
 * showcase and the system under test of dbchaos.
 */
package dev.dbchaos.demo;
