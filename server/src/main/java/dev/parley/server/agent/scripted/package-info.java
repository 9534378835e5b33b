/**
 * The scripted agent, Parley's default AI agent: a YAML flow file maps user messages to canned
 * replies by keywords and regular expressions, and may end the conversation or ask for a human.
 *
 * <p>{@link dev.parley.server.agent.scripted.FlowLoader} reads and validates a flow into immutable
 * records, {@link dev.parley.server.agent.scripted.FlowMatcher} picks the intent for a message (keywords
 * looked up among the message's words in an index built at load, regexes only for declared patterns) and
 * {@link dev.parley.server.agent.scripted.ScriptedAgent} writes the reply, streamed or whole.
 */
package dev.parley.server.agent.scripted;
