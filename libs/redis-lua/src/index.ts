export * from './lua-script-loader';
