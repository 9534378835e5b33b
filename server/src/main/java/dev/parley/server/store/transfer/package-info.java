/**
 * {@code parley admin export} and {@code import}: everything a store holds as a line-oriented JSON
 * file, the way from the embedded SQLite file to PostgreSQL (or back).
 */
package dev.parley.server.store.transfer;
