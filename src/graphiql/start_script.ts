// The browser side of the GraphiQL page: a small sign-in that keeps the key where the dashboard
// keeps it (sessionStorage, this tab only), then GraphiQL sending it as an Authorization header
// on every request. Plain browser JavaScript, served as /graphiql/start.js (the page's CSP
// allows no inline script).

/** GRAPHIQL_START_SCRIPT is served as /graphiql/start.js. */
export const GRAPHIQL_START_SCRIPT = `"use strict";
(function () {
  var KEY = "hookd.adminToken"; // the dashboard's: signing in there signs in here, in the same tab
  var root = document.getElementById("root");
  var form = document.getElementById("signin");
  var problem = document.getElementById("problem");

  function start(key) {
    form.hidden = true;
    root.hidden = false;
    document.getElementById("signout").hidden = false;
    self.MonacoEnvironment = {
      globalAPI: false,
      getWorkerUrl: function (_moduleId, label) {
        return "/graphiql/" + label + ".worker.js";
      },
    };
    YogaGraphiQL.renderYogaGraphiQL(root, {
      endpoint: "/graphql",
      title: "hookd GraphiQL",
      subscriptionsProtocol: "SSE",
      additionalHeaders: { authorization: "Bearer " + key },
      defaultQuery: "# hookd's GraphQL API. Try:\\n{\\n  collections { items { name } }\\n  webhookLogs(filter: { status: FAILED }, perPage: 5) { totalItems items { id url httpStatus } }\\n}\\n",
    });
  }

  function check(key) {
    return fetch("/api/keys/self", { headers: { authorization: "Bearer " + key } }).then(function (res) {
      if (res.ok) return true;
      problem.textContent = res.status === 401 ? "That key is not valid." : "hookd answered " + res.status + ".";
      return false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var key = document.getElementById("key").value.trim();
    if (!key) return;
    check(key).then(function (ok) {
      if (!ok) return;
      sessionStorage.setItem(KEY, key);
      start(key);
    });
  });

  document.getElementById("signout").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    location.reload();
  });

  var stored = sessionStorage.getItem(KEY);
  if (stored) check(stored).then(function (ok) { if (ok) start(stored); else form.hidden = false; });
  else form.hidden = false;
})();
`;
