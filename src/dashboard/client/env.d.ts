// Stylesheets are imported for the bundler, which emits them as a separate file.
declare module "*.css";
