/** The operator API on HTTP ({@code /api/v1/operator/*}, docs/operator-openapi.yaml). */
package dev.parley.server.http.operator;
