/**
 * JSON encoding of server events and decoding plus validation of client frames.
 */
package dev.parley.protocol.codec;
