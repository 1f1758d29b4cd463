/**
 * Lesson 07's data check as a process of its own (the engine with the solutions of 07.1-07.3), for FaultLakeCheckTest's
 * memory test, which runs it with a small -Xmx. Endpoints come from the environment like every lesson.
 *
 *   java -Xmx.. -cp <test classpath> LakeCheckProcess <topic> <group>
 */
public final class LakeCheckProcess {
    private LakeCheckProcess() {}

    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        LakeCheck.Report r = LakeCheck.check(lab, args[0], args[1], new Reconcile(), new SchemaDrift());
        r.couldNotCheck().forEach(System.out::println);
        System.out.printf("CHECKED rows=%d files=%d exit=%d heap=%dMB%n", r.totalRows(), r.files(), ExitCode.of(r),
                Runtime.getRuntime().maxMemory() >> 20);
        System.exit(ExitCode.of(r));
    }
}
