/**
 * The data directory as a place on disk: who may read it (owner only: it holds transcripts,
 * password hashes and the server's secret) and which server owns it (one at a time, by a lock).
 */
package dev.parley.server.datadir;
