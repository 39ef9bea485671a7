package dev.tokenmill.jobs;

import dev.tokenmill.jobs.cli.ClusterCommand;
import dev.tokenmill.jobs.cli.DedupReportCommand;
import dev.tokenmill.jobs.cli.DemoCommand;
import dev.tokenmill.jobs.cli.DiffCommand;
import dev.tokenmill.jobs.cli.ExportCommand;
import dev.tokenmill.jobs.cli.ExportMegatronCommand;
import dev.tokenmill.jobs.cli.IngestCommand;
import dev.tokenmill.jobs.cli.LineageCommand;
import dev.tokenmill.jobs.cli.MixReportCommand;
import dev.tokenmill.jobs.cli.RunCommand;
import dev.tokenmill.jobs.cli.ShowCommand;
import dev.tokenmill.jobs.cli.StagesCommand;
import dev.tokenmill.jobs.cli.StatsCommand;
import dev.tokenmill.jobs.cli.TablesCommand;
import dev.tokenmill.jobs.cli.TrainLmCommand;
import dev.tokenmill.jobs.cli.TrainQualityModelCommand;
import dev.tokenmill.jobs.cli.TrainTokenizerCommand;
import dev.tokenmill.jobs.cli.VersionsCommand;
import dev.tokenmill.jobs.lake.Failures;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Sessions;
import dev.tokenmill.jobs.util.CodeVersion;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code tokenmill} command line: global options, verbs, and the mapping of errors to exit codes. */
@Command(
        name = "tokenmill",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Raw text corpora → versioned, pretraining-ready Delta tables.")
public final class Main implements Runnable {
    /** The verbs, in the order --help lists them. */
    static final List<Class<?>> VERBS = List.of(
            IngestCommand.class,
            RunCommand.class,
            DemoCommand.class,
            TablesCommand.class,
            VersionsCommand.class,
            ShowCommand.class,
            DiffCommand.class,
            LineageCommand.class,
            StatsCommand.class,
            ExportCommand.class,
            StagesCommand.class,
            ClusterCommand.class,
            DedupReportCommand.class,
            MixReportCommand.class,
            dev.tokenmill.jobs.cli.PretrainCommand.class,
            dev.tokenmill.jobs.cli.ReportCommand.class,
            TrainTokenizerCommand.class,
            ExportMegatronCommand.class,
            TrainQualityModelCommand.class,
            dev.tokenmill.jobs.cli.LabelQueueCommand.class,
            dev.tokenmill.jobs.cli.ImportLabelsCommand.class,
            TrainLmCommand.class,
            dev.tokenmill.jobs.cli.EncodeCommand.class,
            dev.tokenmill.jobs.cli.GenerateCommand.class,
            dev.tokenmill.jobs.cli.ExportHfCommand.class,
            dev.tokenmill.jobs.cli.EvalCommand.class,
            dev.tokenmill.jobs.cli.ScalingFitCommand.class,
            dev.tokenmill.jobs.cli.SweepCommand.class,
            dev.tokenmill.jobs.cli.MixSearchCommand.class,
            dev.tokenmill.jobs.cli.KernelCommand.class,
            dev.tokenmill.jobs.bench.BenchCommand.class);

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private String lake = System.getenv().getOrDefault("TOKENMILL_LAKE", "lake");
    private String master;
    private final Map<String, String> conf = new LinkedHashMap<>();
    private boolean verbose;

    @Option(
            names = "--lake",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR|s3a://…",
            description = "Lake root (default ./lake, env TOKENMILL_LAKE).")
    void setLake(String value) {
        this.lake = value;
    }

    @Option(
            names = "--master",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "Spark master (default local[*], or what spark-submit set).")
    void setMaster(String value) {
        this.master = value;
    }

    @Option(
            names = "--conf",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY=VALUE",
            description = "Spark/Hadoop setting, repeatable (e.g. spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000).")
    void setConf(Map<String, String> values) {
        conf.putAll(values);
    }

    private String confFile = System.getenv("TOKENMILL_CONF_FILE");

    @Option(
            names = "--conf-file",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description =
                    "Spark/Hadoop settings from a properties file (KEY=VALUE lines; --conf wins), env TOKENMILL_CONF_FILE: "
                            + "keeps secrets such as spark.hadoop.fs.s3a.secret.key off the command line, where ps shows them.")
    void setConfFile(String value) {
        this.confFile = value;
    }

    private boolean ui = true;

    @Option(
            names = "--no-ui",
            scope = ScopeType.INHERIT,
            description =
                    "Do not start Spark's web UI (by default on the first free port from 4040, its URL printed once).")
    void setNoUi(boolean value) {
        this.ui = !value;
    }

    private PrintWriter err;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    void setVerbose(boolean value) {
        this.verbose = value;
    }

    private String reader = System.getenv().getOrDefault("TOKENMILL_READER", "kernel");

    @Option(
            names = "--reader",
            scope = ScopeType.INHERIT,
            paramLabel = "kernel|spark",
            description = "How inspection verbs (tables, versions, lineage, show, stats, mix-report) read the lake: "
                    + "Delta Kernel without starting Spark (default), or through a SparkSession.")
    void setReader(String value) {
        if (!value.equals("kernel") && !value.equals("spark")) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--reader must be kernel or spark, not '" + value + "'");
        }
        this.reader = value;
    }

    private Lake openedLake;
    private Lake inspectionLake;

    /** The lake root as given (a path or URI), for verbs that resolve lake names without Spark. */
    public String lakeRoot() {
        return lake;
    }

    /** The lake, opening a SparkSession the first time a verb needs one. */
    public Lake lake() {
        if (openedLake == null) {
            Map<String, String> settings = settings();
            boolean fresh = !Sessions.active();
            if (ui && fresh) {
                settings.putIfAbsent("spark.ui.enabled", "true");
            }
            org.apache.spark.sql.SparkSession spark = Sessions.getOrCreate(master, settings);
            if (fresh && err != null) {
                spark.sparkContext()
                        .addSparkListener(new dev.tokenmill.jobs.lake.ClusterEvents(spark.sparkContext(), err));
            }
            if (fresh && err != null && spark.sparkContext().uiWebUrl().isDefined()) {
                // not a "tokenmill:" line: those are the errors and events a script looks for
                err.println("Spark UI: " + spark.sparkContext().uiWebUrl().get() + " (--no-ui to go without)");
            }
            openedLake = new Lake(spark, lake);
        }
        return openedLake;
    }

    /**
     * The lake for verbs that only look: read with Delta Kernel (no SparkSession unless the verb needs one after all)
     * unless {@code --reader spark}.
     */
    public Lake inspectionLake() {
        if (reader.equals("spark")) {
            return lake();
        }
        if (inspectionLake == null) {
            // a session this JVM already has (a test, a notebook, a verb that opened one) lends its Hadoop settings
            org.apache.hadoop.conf.Configuration hadoop =
                    Sessions.active() ? lake().hadoopConf() : Sessions.hadoopConf(settings());
            inspectionLake = Lake.withKernel(lake, hadoop, () -> {
                if (Boolean.getBoolean("tokenmill.light")) {
                    throw new NeedsSpark(); // bin/tokenmill's light JVM has no Spark logging: it runs the verb again
                }
                return lake().spark();
            });
        }
        return inspectionLake;
    }

    /** Thrown in bin/tokenmill's light JVM when a verb needs a SparkSession after all: exit code 3, run it again. */
    static final class NeedsSpark extends RuntimeException {
        NeedsSpark() {
            super("this verb needs Spark", null, false, false);
        }
    }

    public static final int NEEDS_SPARK = 3;

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (confFile != null && !confFile.isBlank()) {
            settings.putAll(dev.tokenmill.jobs.lake.ConfFile.read(java.nio.file.Path.of(confFile)));
        }
        settings.putAll(conf);
        return settings;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing verb");
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line; returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main();
        String[] argv = dev.tokenmill.jobs.bench.BenchCommand.splitOldVerb(args);
        CommandLine cli = new CommandLine(main);
        // picocli reflects over every registered verb's class at start-up, a third of a second for all of them: a
        // command line naming a verb registers just that one (help, a typo or no verb register all)
        Class<?> named = verbNamed(argv);
        if (Boolean.getBoolean("tokenmill.cds.training")) {
            // bin/tokenmill is recording a class-data archive: every verb's classes go in, not just this one's
            CommandLine all = new CommandLine(new Main());
            VERBS.forEach(all::addSubcommand);
        }
        for (Class<?> verb : named != null ? List.<Class<?>>of(named) : VERBS) {
            cli.addSubcommand(verb);
        }
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(errWriter);
        main.err = errWriter;
        cli.setParameterExceptionHandler((ex, a) -> {
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u
                    && !u.getSuggestions().isEmpty()) {
                // picocli's closest verbs or options to what was typed
                hint = "; did you mean "
                        + String.join(
                                " or ",
                                u.getSuggestions()
                                        .subList(
                                                0,
                                                Math.min(3, u.getSuggestions().size()))) + "?";
            }
            errWriter.println("tokenmill: " + ex.getMessage() + hint + " (try: tokenmill "
                    + commandPath(ex.getCommandLine()) + "--help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof NeedsSpark) {
                return NEEDS_SPARK;
            }
            if (main.verbose) {
                ex.printStackTrace(errWriter);
            }
            if (ex instanceof UserError) {
                errWriter.println("tokenmill: " + ex.getMessage());
                return USAGE;
            }
            if (ex instanceof JobFailure) {
                errWriter.println("tokenmill: " + ex.getMessage());
                return FAILURE;
            }
            errWriter.println(
                    "tokenmill: failed: " + Failures.rootCause(ex) + (main.verbose ? "" : " (--verbose for details)"));
            return FAILURE;
        });
        return cli.execute(argv);
    }

    private static final java.util.Set<String> OPTIONS_WITH_VALUES =
            java.util.Set.of("--lake", "--master", "--conf", "--conf-file", "--reader");

    /** The verb class the command line names (the first word that is not an option or an option's value), or null. */
    static Class<?> verbNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (OPTIONS_WITH_VALUES.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                for (Class<?> verb : VERBS) {
                    Command c = verb.getAnnotation(Command.class);
                    if (c.name().equals(a) || List.of(c.aliases()).contains(a)) {
                        return verb;
                    }
                }
                return null;
            }
        }
        return null;
    }

    private static String commandPath(CommandLine cmd) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cmd; c != null && c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** Prints the code version recorded in lineage. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tokenmill " + CodeVersion.get()};
        }
    }
}
