// Loaded before every test file (bunfig.toml). Bun's own default of 5 s per test is too short for
// the cases that build the binary, start sqld clusters or drive the browser on a busy machine;
// they wait for conditions, so this bound only catches a hang. (bunfig's [test] has no timeout key.)
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
