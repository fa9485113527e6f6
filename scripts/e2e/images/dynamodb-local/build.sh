# DynamoDB Local stand-in on the jre image: com.amazonaws:DynamoDBLocal:2.6.1 and its dependencies from Maven Central.
# The Maven jar's own Class-Path names the files of Amazon's zip, so DynamoDBLocal.jar here is a small launcher jar
# whose Class-Path lists the Maven file names; `java -jar DynamoDBLocal.jar ...` then works as in the official image.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lib="$WORK/DynamoDBLocal_lib"
"$REPO/mvnw" -q -B -ntp -f "$here/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$lib"
# keep the linux-amd64 native library only, under the name sqlite4java looks for next to its jar
rm -f "$lib"/*.dll "$lib"/*.dylib "$lib"/libsqlite4java-linux-i386*.so
mv "$lib"/libsqlite4java-linux-amd64-*.so "$lib/libsqlite4java-linux-amd64.so"
{
  echo "Manifest-Version: 1.0"
  echo "Main-Class: com.amazonaws.services.dynamodbv2.local.main.ServerRunner"
  # manifest lines are at most 72 bytes: fold the long Class-Path into continuation lines
  (cd "$WORK" && printf 'Class-Path:'; for j in DynamoDBLocal_lib/*.jar; do printf ' %s' "$j"; done; echo) \
    | fold -b -w 70 | sed '2,$s/^/ /'
} >"$WORK/MANIFEST.MF"
mkdir -p "$WORK/empty"
jar --create --file "$WORK/DynamoDBLocal.jar" --manifest "$WORK/MANIFEST.MF" -C "$WORK/empty" .
cp "$here/Containerfile" "$WORK/Containerfile"
podman --runtime runc build --pull=never --network none --build-arg PARENT="$PARENT" \
  --label "dev.music.e2e.recipe=$RECIPE_HASH" -t "$TAG" -f "$WORK/Containerfile" "$WORK"
