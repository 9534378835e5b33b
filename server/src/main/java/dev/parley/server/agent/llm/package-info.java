/**
 * An AI agent backed by an OpenAI-compatible chat-completions endpoint (a local llama.cpp / vLLM /
 * Ollama server, or a hosted API), streamed over Server-Sent Events with the JDK HTTP client.
 * Framework-free: {@link dev.parley.server.agent.llm.LlmAgent} needs only an {@code HttpClient},
 * a {@code Scheduler}, a {@code Clock} and {@code AgentMetrics}.
 */
package dev.parley.server.agent.llm;
