/**
 * The five client events of PROTOCOL.md section 5, one record each.
 */
package dev.parley.protocol.client;
