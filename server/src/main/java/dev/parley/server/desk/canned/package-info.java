/**
 * Canned replies: texts a connector's team shares per queue (or for every queue), inserted into the desk's
 * composer by shortcut. The desk page fills their placeholders; nothing here sends anything. Framework-free.
 */
package dev.parley.server.desk.canned;
