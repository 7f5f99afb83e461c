module.exports = async () => {
  const child = globalThis.__DYNAMODB_LOCAL__;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }
};
