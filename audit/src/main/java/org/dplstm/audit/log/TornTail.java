package org.dplstm.audit.log;

/**
 * Bytes after the last newline: a write cut short by a crash. Only their length and SHA-256 are
 * kept (they may hold part of an event, never shown).
 *
 * @param lineNumber the number the line would have had
 * @param offset byte offset where the torn bytes start (the file's intact length)
 * @param length number of torn bytes
 * @param sha256 lower-case hex SHA-256 of the torn bytes
 */
public record TornTail(long lineNumber, long offset, int length, String sha256) {}
