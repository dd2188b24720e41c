// class-transformer keeps its metadata storage (where @Type lives) in a module its typings place
// elsewhere; the compiled validator reads @Type from it, as plainToInstance does.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
