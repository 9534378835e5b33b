package dev.parley.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void quantilesAreNearestRankInMilliseconds() {
        Latencies latencies = new Latencies();
        for (int i = 100; i >= 1; i--) {
            latencies.add(i * 1000L); // 1..100 ms, recorded out of order
        }
        assertEquals(50.0, latencies.quantileMs(0.50));
        assertEquals(99.0, latencies.quantileMs(0.99));
        assertEquals(100.0, latencies.quantileMs(1.0));
    }

    @Test
    void noSamplesGiveNoFigure() {
        assertTrue(Double.isNaN(new Latencies().quantileMs(0.99)));
    }
}
