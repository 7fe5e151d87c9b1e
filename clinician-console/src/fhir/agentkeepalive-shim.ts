// Browser stand-in for `agentkeepalive` (see vite.config.ts): fhir-kit-client only constructs
// these and hands them to fetch, which ignores an `agent` option in the browser.
class HttpAgent {}
class HttpsAgent {}
export default Object.assign(HttpAgent, { HttpsAgent });
