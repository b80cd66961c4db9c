/**
 * Servlet support: binding each request to the scope named by its scope header.
 */
@NullMarked
package dev.dbchaos.web;

import org.jspecify.annotations.NullMarked;
