/**
 * Internal notes: desk-only text on a conversation, for the agents who handle it. Not events: they
 * never enter the session's journal, its replay, the user's socket or the search index; they live in
 * their own table behind {@link dev.parley.server.desk.notes.NoteStore} and reach desk sockets
 * through their own broadcast. Framework-free, like the rest of the desk core.
 */
package dev.parley.server.desk.notes;
