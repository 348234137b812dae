// plotters measures chart text by giving a <span> a `style` attribute (setAttribute) and
// reading its size. The page's Content-Security-Policy blocks inline style attributes, which
// would leave every measurement wrong, so this routes exactly that call through the CSSOM
// (`element.style.cssText`), which the policy allows. Nothing else on the page sets styles this
// way. (Measuring with the canvas's own measureText in the wasm face would remove the need:
// see the report for the dependency that takes.)

const setAttribute = Element.prototype.setAttribute;

Element.prototype.setAttribute = function setAttributeUnderCsp(name, value) {
  if (String(name).toLowerCase() === 'style') {
    this.style.cssText = String(value);
    return;
  }
  setAttribute.call(this, name, value);
};
