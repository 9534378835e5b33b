package dev.parley.server.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the test JVM's embedded PostgreSQL when the JUnit run ends (registered in META-INF/services). */
public final class StopSharedPostgres implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedPostgres.stop();
    }
}
