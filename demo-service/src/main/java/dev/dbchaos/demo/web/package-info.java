/**
 * The shopper and admin pages, the JSON API, and the translation of failures into clear
 * JSON errors.
 */
package dev.dbchaos.demo.web;
