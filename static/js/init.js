// Starts GOV.UK Frontend's components (error summary focus, password reveal, etc.).
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();
