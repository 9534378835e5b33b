/**
 * The AI-agent port: what an agent is told and how it answers (text deltas, attachments, suggestions, handoff, end). Implementations live in sub-packages.
 */
package dev.parley.server.agent;
