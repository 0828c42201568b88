// Sightline's own html-validate rule (loaded by .htmlvalidate.json).
//
// html-validate's bundled metadata does not say which elements an attribute such as `required`
// belongs to, so `<div required>` passes its presets although the HTML standard allows
// `required` only on <input>, <select> and <textarea> (and browsers and assistive technology
// ignore it elsewhere). This rule checks the form-control attributes against the elements the
// standard allows them on (HTML Living Standard, "Attributes" index).
"use strict";

const { Rule } = require("html-validate");

const ALLOWED_ON = {
  autocomplete: ["form", "input", "select", "textarea"],
  checked: ["input"],
  disabled: ["button", "fieldset", "input", "optgroup", "option", "select", "textarea"],
  maxlength: ["input", "textarea"],
  minlength: ["input", "textarea"],
  multiple: ["input", "select"],
  pattern: ["input"],
  placeholder: ["input", "textarea"],
  readonly: ["input", "textarea"],
  required: ["input", "select", "textarea"],
  selected: ["option"],
};

class FormAttributeOnControl extends Rule {
  documentation(context) {
    return {
      description: context
        ? `\`${context.attribute}\` is only allowed on ${context.allowed}.`
        : "Form-control attributes are only allowed on the elements the HTML standard lists.",
      url: "https://html.spec.whatwg.org/multipage/indices.html#attributes-3",
    };
  }

  setup() {
    this.on("attr", (event) => {
      const attribute = event.key.toLowerCase();
      const allowed = ALLOWED_ON[attribute];
      const tag = event.target.tagName;
      // Elements in the SVG or MathML namespaces have attributes of their own.
      if (!allowed || !tag || allowed.includes(tag) || tag.includes(":")) return;
      const list = allowed.map((name) => `<${name}>`).join(", ");
      this.report({
        node: event.target,
        message: `Attribute "${attribute}" is not allowed on <${tag}> (only on ${list})`,
        location: event.keyLocation,
        context: { attribute, allowed: list },
      });
    });
  }
}

module.exports = {
  name: "sightline",
  rules: { "sightline/form-attribute-on-control": FormAttributeOnControl },
};
