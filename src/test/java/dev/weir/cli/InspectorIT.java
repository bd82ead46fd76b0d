package dev.weir.cli;

import dev.weir.avro.TokenBatch;
import dev.weir.inspector.Inspector;
import dev.weir.inspector.InspectorSettings;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.LocalStack;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inspector as a person uses it: the real stack and topology, the bundled samples produced with {@code weir
 * produce}, and the page opened in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code ./weir test} and {@code .ci/run}) driven by Selenium. The numbers the page shows are checked
 * against what a {@code read_committed} consumer of the outputs counts; the pictures, the patch overlay, the plots,
 * the waveforms and the text spans against the records they come from. Screenshots go to {@code target/inspector-it/}.
 */
class InspectorIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Path SHOTS = Path.of("target", "inspector-it");

    static LocalStack stack;
    static Path dir;

    @BeforeAll
    static void startStack(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "InspectorIT needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + "apt-get install chromium chromium-driver (./weir test installs them when it runs as root)");
        dir = tmp;
        stack = LocalStack.start(tmp.resolve("stack"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePageShowsEveryStreamWithTheNumbersOfItsOutputsAndWhatTheCompressorKept() throws Exception {
        WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(), WeirConfig.APPLICATION_ID, "weir-inspector-it",
                WeirConfig.KERNEL_BACKEND, "jvm", StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString(),
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
                InspectorSettings.READ_INPUTS, "true"), Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicSetup.createMissing(admin, config);
        }
        String[] endpoints = {"-b", stack.bootstrapServers(), "-r", stack.registryUrl()};
        Map<String, Integer> units = Map.of("cam-coffee", 20, "cam-tree", 12, "mic-speech", 15, "log-dpkg", 80, "prose-jargon", 30);

        try (WeirApp app = WeirApp.start(config);
             Inspector inspector = Inspector.start(config, InspectorSettings.of(config));
             SchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
             CommittedOutputs outputs = new CommittedOutputs(stack.bootstrapServers(), registry, config.topics())) {
            app.awaitRunning(WAIT);

            // given the bundled samples produced as an operator would, and one bad record in the middle
            produce(endpoints, "video", "samples/video/coffee-sprite", "cam-coffee", "--limit", "20");
            produce(endpoints, "video", "samples/video/tree", "cam-tree", "--limit", "12");
            sendNotAvro(config.topics().of("video").input(), "cam-tree");
            produce(endpoints, "audio", "samples/audio/librivox-sense-0880.wav", "mic-speech", "--chunk-ms", "200");
            produce(endpoints, "text", "samples/text/dpkg-excerpt.log", "log-dpkg", "--limit", "80");
            produce(endpoints, "text", "samples/text/jargon-excerpt.txt", "prose-jargon", "--limit", "30");

            // and what a read_committed consumer of the outputs counts
            outputs.await(o -> units.entrySet().stream().allMatch(e -> o.decoded.getOrDefault(e.getKey(), List.of()).size() == e.getValue()
                    && o.tokens.getOrDefault(e.getKey(), List.of()).size() == e.getValue()) && !o.deadLetters.isEmpty(), WAIT);
            long deadLettersOfTree = outputs.deadLetters.stream().filter(r -> r.key() != null
                    && new String(r.key(), StandardCharsets.UTF_8).equals("cam-tree")).count();

            WebDriver browser = chromium();
            try {
                // when the page is opened
                browser.get(inspector.uri().toString());
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                wait.ignoring(StaleElementReferenceException.class); // the page redraws its rows every second

                // then the stream list shows every stream with the numbers of its outputs
                // (events, decoded and dead letters come from three topics the inspector reads: wait for all three)
                wait.until(b -> units.entrySet().stream().allMatch(e -> e.getValue().toString().equals(cellText(b, e.getKey(), "events"))
                        && e.getValue().toString().equals(cellText(b, e.getKey(), "decoded"))
                        && cellText(b, e.getKey(), "deadLetters").equals(e.getKey().equals("cam-tree") ? Long.toString(deadLettersOfTree) : "0")));
                for (String stream : units.keySet()) {
                    Expected x = Expected.of(outputs.tokens.get(stream));
                    assertEquals(Integer.toString(units.get(stream)), cellText(browser, stream, "events"), stream);
                    assertEquals(Integer.toString(units.get(stream)), cellText(browser, stream, "decoded"), stream);
                    assertClose(x.ratio(), value(browser, stream, "ratio"), 1e-9, stream + " ratio");
                    assertEquals(String.format(Locale.ROOT, "%.3f", x.ratio()), cellText(browser, stream, "ratio"), stream);
                    assertClose(x.cacheHitShare(), value(browser, stream, "cacheHitShare"), 1e-9, stream + " cache hits");
                    assertEquals(String.format(Locale.ROOT, "%.1f%%", 100 * x.cacheHitShare()), cellText(browser, stream, "cacheHitShare"), stream);
                    assertClose(x.prunedShare(), value(browser, stream, "prunedShare"), 1e-9, stream + " pruned");
                    assertClose(x.eventsPerSecond(), value(browser, stream, "eventsPerSecond"), 1e-6, stream + " events/s");
                    assertClose(x.tokensFullPerSecond(), value(browser, stream, "tokensFullPerSecond"), 1e-6, stream + " tokens/s full");
                    assertClose(x.tokensEmittedPerSecond(), value(browser, stream, "tokensEmittedPerSecond"), 1e-6, stream + " tokens/s out");
                    assertClose(x.encodeMs(), value(browser, stream, "encodeMs"), 1e-6, stream + " encode ms");
                    assertEquals(x.backend(), cellText(browser, stream, "backend"), stream);
                    assertEquals(stream.equals("cam-tree") ? Long.toString(deadLettersOfTree) : "0", cellText(browser, stream, "deadLetters"), stream);
                }
                assertTrue(deadLettersOfTree >= 1);
                assertTrue(Expected.of(outputs.tokens.get("cam-coffee")).cacheHitShare() > 0.3, "the static camera reuses patches");

                // the decoded frame of the first video stream, beside its source, with one overlay cell per patch
                wait.until(b -> "19".equals(b.findElement(By.id("video-overlay")).getAttribute("data-seq"))
                        && "19".equals(b.findElement(By.id("video-decoded")).getAttribute("data-seq"))
                        && "19".equals(b.findElement(By.id("video-source")).getAttribute("data-seq")));
                TokenBatch last = outputs.tokens.get("cam-coffee").getLast();
                WebElement overlay = browser.findElement(By.id("video-overlay"));
                assertEquals("40", overlay.getAttribute("data-cols"));
                assertEquals("30", overlay.getAttribute("data-rows"));
                assertEquals(last.getStats().getPositionsTotal(), cells(browser, ""));
                int sent = cells(browser, "fate-s"), reused = cells(browser, "fate-r"), pruned = cells(browser, "fate-p"), key = cells(browser, "fate-k");
                if (last.getKeyframe()) {
                    assertEquals(last.getStats().getPositionsTotal(), key);
                } else {
                    assertEquals(last.getPositions().size(), sent);
                    assertEquals(last.getReusedPositions().size(), reused);
                    assertEquals(last.getStats().getPositionsPruned(), pruned);
                    assertEquals(Integer.toString(reused), browser.findElement(By.id("count-r")).getText());
                }
                assertTrue(litPixels(browser, "video-decoded") > 640 * 480 / 2, "the decoded frame is drawn");
                assertTrue(litPixels(browser, "video-source") > 640 * 480 / 2, "the source frame is drawn");

                // and the time plot has a point per frame, tokens and PSNR
                assertEquals("20", browser.findElement(By.id("video-plot")).getAttribute("data-points"));
                assertEquals(1, browser.findElements(By.cssSelector("#video-plot path.emitted")).size());
                assertEquals("20", browser.findElement(By.cssSelector("#video-plot path.psnr")).getAttribute("data-points"));
                assertTrue(browser.findElements(By.cssSelector("#video-plot circle.keyframe")).size() >= 1, "the first frame is a keyframe");
                screenshot(browser, "video-coffee.png");

                // audio: both waveforms drawn, every frame marked, and the decoded audio served as WAV for the play button
                wait.until(b -> Integer.parseInt(b.findElement(By.id("audio-frames")).getAttribute("data-frames")) > 100);
                assertTrue(litPixels(browser, "audio-decoded", "blue") > 500, "the decoded waveform is drawn");
                assertTrue(litPixels(browser, "audio-original", "blue") > 500, "the original waveform is drawn");
                // and the spectrograms of both, a 10 ms column each, 257 bins high, with more than silence in them
                for (String track : List.of("original", "decoded")) {
                    String id = "audio-" + track + "-spectrogram";
                    wait.until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                            "const i = document.getElementById(arguments[0]); return i.complete && i.naturalWidth > 0;", id));
                    List<?> size = (List<?>) ((JavascriptExecutor) browser).executeScript("""
                            const i = document.getElementById(arguments[0]);
                            const c = document.createElement('canvas');
                            c.width = i.naturalWidth; c.height = i.naturalHeight;
                            const g = c.getContext('2d'); g.drawImage(i, 0, 0);
                            const d = g.getImageData(0, 0, c.width, c.height).data;
                            let lit = 0;
                            for (let p = 0; p < d.length; p += 4) if (d[p] > 128) lit++;
                            return [i.naturalWidth, i.naturalHeight, lit];""", id);
                    assertTrue(((Number) size.get(0)).longValue() > 250, track + ": " + size + " (3 s of speech)");
                    assertEquals(257L, ((Number) size.get(1)).longValue(), track);
                    assertTrue(((Number) size.get(2)).longValue() > 1_000, track + ": lit pixels " + size);
                    assertTrue(browser.findElement(By.id(id)).getAttribute("src").contains("spectrogram.png?track=" + track));
                }
                long framesInBatches = outputs.tokens.get("mic-speech").stream()
                        .mapToLong(b -> ((dev.weir.avro.AudioLayout) b.getLayout()).getFrameCount()).sum();
                int marked = Integer.parseInt(browser.findElement(By.id("audio-frames")).getAttribute("data-frames"));
                assertTrue(marked >= framesInBatches - 2 && marked <= framesInBatches, marked + " frames marked of " + framesInBatches);
                long samples = outputs.tokens.get("mic-speech").stream()
                        .mapToLong(b -> ((dev.weir.avro.AudioLayout) b.getLayout()).getSampleCount()).sum(); // what the batches finalize
                Object wav = ((JavascriptExecutor) browser).executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        fetch('api/stream/mic-speech/audio.wav?track=decoded').then(r => r.arrayBuffer().then(b => {
                          const v = new DataView(b);
                          done([r.status, r.headers.get('content-type'), String.fromCharCode(v.getUint8(0), v.getUint8(1), v.getUint8(2), v.getUint8(3)), v.getUint32(24, true), b.byteLength]);
                        }));""");
                List<?> w = (List<?>) wav;
                assertEquals(200L, ((Number) w.get(0)).longValue());
                assertEquals("audio/wav", w.get(1));
                assertEquals("RIFF", w.get(2));
                assertEquals(16000L, ((Number) w.get(3)).longValue());
                assertTrue(samples > 47_000, samples + " samples: the 3.0 s of speech at 16 kHz");
                assertEquals(44 + 2 * samples, ((Number) w.get(4)).longValue(), "every decoded sample, as 16-bit mono");
                browser.findElement(By.id("play-decoded")).click();
                assertTrue(browser.findElement(By.id("audio-player")).getAttribute("src").contains("audio.wav?track=decoded"));

                // text: the recent messages with their cached and template spans, the templates, the tokens saved
                Expected log = Expected.of(outputs.tokens.get("log-dpkg"));
                wait.until(b -> b.findElements(By.cssSelector("#text-messages .msg")).size() == 80);
                assertTrue(browser.findElements(By.cssSelector("#text-messages .span-template")).size() > 20, "template spans");
                assertTrue(browser.findElements(By.cssSelector("#text-messages .span-sent")).size() > 20, "sent spans");
                assertTrue(browser.findElements(By.cssSelector("#text-templates tbody tr")).size() >= 1, "templates listed");
                assertEquals(String.format(Locale.US, "%,d", log.full() - log.emitted()), browser.findElement(By.id("text-saved")).getText());
                String newest = browser.findElement(By.cssSelector("#text-messages .msg .body")).getText();
                assertEquals(Files.readAllLines(Path.of("samples/text/dpkg-excerpt.log")).get(79).strip(), newest.strip());

                // the dead letter, with its reason
                assertTrue(browser.findElements(By.cssSelector("#dead-letter-table tr[data-reason='not-avro']")).size() >= 1);
                screenshot(browser, "inspector.png");

                // and a text stream chosen in the list takes over the text panel
                browser.findElement(By.cssSelector("tr.stream[data-stream='prose-jargon']")).click();
                wait.until(b -> "prose-jargon".equals(b.findElement(By.id("text-panel")).getAttribute("data-stream"))
                        && b.findElements(By.cssSelector("#text-messages .msg")).size() == 30);
            } finally {
                browser.quit();
            }
        }
    }

    /** The compressor's numbers over a stream's batches, as the page defines them (docs/inspector.md). */
    record Expected(long events, long full, long emitted, long positions, long reused, long pruned, long nanos, long t0,
                    long t1, long firstFull, long firstEmitted, String backend) {

        static Expected of(List<TokenBatch> batches) {
            long full = 0, emitted = 0, positions = 0, reused = 0, pruned = 0, nanos = 0;
            TokenBatch first = batches.getFirst();
            long t1 = Long.MIN_VALUE;
            for (TokenBatch b : batches) {
                full += (long) b.getStats().getPositionsTotal() * b.getTokensPerPosition();
                emitted += b.getTokens().size();
                positions += b.getStats().getPositionsTotal();
                reused += b.getReusedPositions().size();
                pruned += b.getStats().getPositionsPruned();
                nanos += b.getStats().getEncodeNanos();
                if (b.getTimestamp().isBefore(first.getTimestamp())) {
                    first = b;
                }
                t1 = Math.max(t1, b.getTimestamp().toEpochMilli());
            }
            return new Expected(batches.size(), full, emitted, positions, reused, pruned, nanos, first.getTimestamp().toEpochMilli(), t1,
                    (long) first.getStats().getPositionsTotal() * first.getTokensPerPosition(), first.getTokens().size(),
                    batches.getLast().getStats().getBackend());
        }

        double ratio() {
            return (double) emitted / full;
        }

        double cacheHitShare() {
            return (double) reused / positions;
        }

        double prunedShare() {
            return (double) pruned / positions;
        }

        double seconds() {
            return (t1 - t0) / 1000.0;
        }

        double eventsPerSecond() {
            return (events - 1) / seconds();
        }

        double tokensFullPerSecond() {
            return (full - firstFull) / seconds();
        }

        double tokensEmittedPerSecond() {
            return (emitted - firstEmitted) / seconds();
        }

        double encodeMs() {
            return nanos / 1e6 / events;
        }
    }

    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // offline and headless: no sandbox (root in CI), no GPU, no background connections that hang without a network
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"), "--window-size=1600,1500",
                "--force-device-scale-factor=1", "--autoplay-policy=no-user-gesture-required", "--mute-audio");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void produce(String[] endpoints, String modality, String input, String stream, String... more) {
        String[] args = CliIT.concat(CliIT.concat(new String[] {"produce", modality, "--input", input, "--stream", stream}, more), endpoints);
        CliIT.Run run = CliIT.weir(args);
        assertEquals(0, run.exit(), run.out());
    }

    private static void sendNotAvro(String topic, String key) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), "not an Avro event".getBytes(StandardCharsets.UTF_8)));
            raw.flush();
        }
    }

    private static WebElement cell(WebDriver b, String stream, String field) {
        return b.findElement(By.cssSelector("tr.stream[data-stream='" + stream + "'] td[data-field='" + field + "']"));
    }

    private static String cellText(WebDriver b, String stream, String field) {
        return cell(b, stream, field).getText();
    }

    private static double value(WebDriver b, String stream, String field) {
        return Double.parseDouble(cell(b, stream, field).getAttribute("data-value"));
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.max(1, Math.abs(expected)), what + ": expected " + expected + ", page " + actual);
    }

    private static int cells(WebDriver b, String fate) {
        return b.findElements(By.cssSelector("#video-overlay rect.cell" + (fate.isEmpty() ? "" : "." + fate))).size();
    }

    private static long litPixels(WebDriver b, String canvas) {
        return litPixels(b, canvas, "any");
    }

    /** Pixels of a canvas that are not blank: any colour (not black, not transparent), or mostly blue. */
    private static long litPixels(WebDriver b, String canvas, String kind) {
        Object n = ((JavascriptExecutor) b).executeScript("""
                const c = document.getElementById(arguments[0]);
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] === 0) continue;
                  if (arguments[1] === 'blue' ? d[i + 2] > d[i] + 40 : d[i] + d[i + 1] + d[i + 2] > 30) n++;
                }
                return n;""", canvas, kind);
        return ((Number) n).longValue();
    }

    private static void screenshot(WebDriver b, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
    }
}
