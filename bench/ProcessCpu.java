import java.lang.management.ManagementFactory;

/** CPU time of this whole JVM (every thread, GC and JIT included), for the benchmarks' per-record and per-PUT figures. */
final class ProcessCpu {
    private ProcessCpu() {}

    /** Nanoseconds of CPU this process has used, or -1 where the JVM does not say. */
    static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }
}
