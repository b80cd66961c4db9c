/**
 * Servlet support: binding each request to the scope named by its scope header.
 */
package dev.dbchaos.web;
