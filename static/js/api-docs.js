"use strict";
// Swagger UI for /api/v1/docs/: the schema address comes from the page, so no inline script.
(function () {
  const target = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: target.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
  });
})();
