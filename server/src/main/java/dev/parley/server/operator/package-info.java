/**
 * Operator APIs (issue 14): API keys, the conversation listing and transcripts, erasure and
 * retention. Framework-free; {@code http/operator} puts it on HTTP, {@code cli} on the command line.
 */
package dev.parley.server.operator;
