import Foundation
import CORSTestSupport

/// Debian's nginx (nginx-light) as a shared HTTP cache in front of an upstream on 127.0.0.1, run
/// as a child process in the foreground with its own prefix, configuration, cache and temporary
/// directories under a fresh temporary directory (removed by ``stop()``).
///
/// The configuration makes nginx cache what it would otherwise skip — `Cache-Control: private`
/// or `no-store`, `Set-Cookie`, `Expires` — for ten minutes, 200s and 404s alike, keyed by URL:
/// the worst shared cache a CORS layer may sit behind. nginx honours `Vary` (since 1.7.7) by
/// storing a variant key of the varied request headers and treating a mismatch as a miss;
/// `X-Cache-Status` tells the client whether the answer came from the cache.
final class NginxCache: @unchecked Sendable {  // `process` is only asked isRunning and signalled
    static let executable = "/usr/sbin/nginx"

    let port: Int
    let directory: URL
    private let process: Process
    private let watchdog: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, directory: URL, process: Process, watchdog: Process) {
        self.port = port
        self.directory = directory
        self.process = process
        self.watchdog = watchdog
    }

    /// Starts nginx in front of `127.0.0.1:upstreamPort` and waits until it accepts connections.
    ///
    /// - Throws: when nginx is not installed (with how to install it), or does not start.
    static func start(upstreamPort: Int) async throws -> NginxCache {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HangError(
                description: """
                    nginx is not installed (\(executable) is missing): the shared-cache test needs Debian's nginx-light \
                    (apt-get install nginx-light; Scripts/test.sh installs it)
                    """)
        }
        var lastError = ""
        // A free port is known only until someone else takes it: retry on a lost race.
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-nginx-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let configuration = directory.appendingPathComponent("nginx.conf")
            try Self.configuration(port: port, upstreamPort: upstreamPort, directory: directory.path)
                .write(to: configuration, atomically: true, encoding: .utf8)
            let log = directory.appendingPathComponent("stderr.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            // nginx itself, not under a wrapper: processes started from the test's threads inherit
            // a signal mask that blocks SIGTERM, and only nginx resets it.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-p", directory.path + "/", "-c", configuration.path, "-g", "daemon off;"]
            let output = try FileHandle(forWritingTo: log)
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let watchdog = Process()
            watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
            watchdog.arguments = [
                "-c", watchdogScript, "nginx-watchdog", String(getpid()), String(process.processIdentifier), directory.path,
            ]
            watchdog.standardOutput = output
            watchdog.standardError = output
            try watchdog.run()
            try? output.close()
            let cache = NginxCache(port: port, directory: directory, process: process, watchdog: watchdog)
            if await cache.waitUntilListening() {
                return cache
            }
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            await cache.stop()
        }
        throw HangError(description: "nginx did not start: \(lastError)")
    }

    /// Watches the test process PARENT and nginx (NGINX): when the test process is gone (a test
    /// run that was killed) it stops nginx and removes DIRECTORY; when nginx is gone it just ends.
    /// It needs no signal itself (see ``start(upstreamPort:)`` on signal masks).
    static let watchdogScript = """
        parent=$1; nginx=$2; directory=$3
        while kill -0 "$parent" 2>/dev/null && kill -0 "$nginx" 2>/dev/null; do sleep 1; done
        if ! kill -0 "$parent" 2>/dev/null; then
            kill -TERM "$nginx" 2>/dev/null
            sleep 2
            rm -rf "$directory"
        fi
        """

    /// Stops nginx (fast shutdown), waits for it and its watchdog, and removes its directory.
    /// The waiting runs in a task of its own, so that a cancelled test still gives nginx its grace
    /// period instead of spinning.
    func stop() async {
        let (process, watchdog, directory) = (self.process, self.watchdog, self.directory)
        await Task {
            if process.isRunning {
                process.terminate()  // SIGTERM: nginx's fast shutdown
                for _ in 0..<200 where process.isRunning {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            // The watchdog sees nginx gone within a second.
            for _ in 0..<200 where process.isRunning || watchdog.isRunning {
                try? await Task.sleep(for: .milliseconds(50))
            }
            try? FileManager.default.removeItem(at: directory)
        }.value
    }

    /// Polls until nginx accepts a connection (true), or exits, or the hang limit passes (false).
    private func waitUntilListening() async -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < hangLimit {
            guard process.isRunning else { return false }
            if LoopbackPort.accepts(port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func configuration(port: Int, upstreamPort: Int, directory: String) -> String {
        // Compiled-in temporary paths point into /var/lib/nginx: move every one of them here.
        let features = nginxFeatures()
        let temporaryPaths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .filter { $0 == "client_body" || $0 == "proxy" || features.contains("--http-\($0)-temp-path") }
            .map { "    \($0)_temp_path \(directory)/temp-\($0);" }
            .joined(separator: "\n")
        // As root, nginx's workers would run as nobody and could not use this directory.
        let user = getuid() == 0 ? "user root root;\n" : ""
        return """
            \(user)worker_processes 1;
            error_log \(directory)/error.log warn;
            pid \(directory)/nginx.pid;
            events { worker_connections 128; }
            http {
                access_log off;
            \(temporaryPaths)
                proxy_cache_path \(directory)/cache levels=1:2 keys_zone=cors:1m max_size=16m inactive=10m use_temp_path=off;
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://127.0.0.1:\(upstreamPort);
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_cache cors;
                        proxy_cache_valid 200 404 10m;
                        proxy_ignore_headers Cache-Control Expires Set-Cookie;
                        add_header X-Cache-Status $upstream_cache_status always;
                    }
                }
            }

            """
    }

    /// `nginx -V`'s configure arguments.
    private static func nginxFeatures() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-V"]
        // A file, not a pipe: reading a pipe can be interrupted (EINTR), which Foundation turns
        // into a crash.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cors-nginx-V-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let output = try? FileHandle(forWritingTo: file)
        else { return "" }
        process.standardError = output
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "" }
        process.waitUntilExit()
        try? output.close()
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }
}
