/**
 * Parley's configuration: the immutable {@link dev.parley.server.config.ParleyConfig} and the one
 * loader that layers defaults, {@code parley.yaml}, {@code PARLEY_*} variables and flags.
 */
package dev.parley.server.config;
