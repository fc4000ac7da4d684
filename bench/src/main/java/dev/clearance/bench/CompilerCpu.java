package dev.clearance.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much CPU the JIT compiler threads of some JVMs used, from Linux's /proc (each thread's name
 * and its user + system time). For telling, in a benchmark's own output, whether the JVMs it
 * measures were still warming up.
 */
final class CompilerCpu {

    /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ) on every platform we run on. */
    private static final double TICKS_PER_SECOND = 100;

    private final List<ProcessHandle> processes;
    private long lastTicks;
    private long lastNanos;

    CompilerCpu(List<ProcessHandle> processes) {
        this.processes = List.copyOf(processes);
        this.lastTicks = ticks();
        this.lastNanos = System.nanoTime();
    }

    /** Percent of one core the compiler threads used since the previous call (or construction). */
    double percentOfOneCoreSinceLast() {
        long ticks = ticks();
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        double percent = seconds <= 0 ? 0 : (ticks - lastTicks) / TICKS_PER_SECOND / seconds * 100;
        lastTicks = ticks;
        lastNanos = now;
        return percent;
    }

    private long ticks() {
        long sum = 0;
        for (ProcessHandle p : processes) {
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + p.pid() + "/task"))) {
                for (Path thread : threads) {
                    sum += compilerTicks(thread);
                }
            } catch (IOException | RuntimeException e) {
                // a process that ended, or no /proc: counts nothing
            }
        }
        return sum;
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains("Compiler")) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // Fields after the parenthesised name: state is the 3rd field, utime the 14th, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
