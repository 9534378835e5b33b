/** The {@code parley} command line (picocli): {@code serve} and the {@code admin} commands. */
package dev.parley.server.cli;
